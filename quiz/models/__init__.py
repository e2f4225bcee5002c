"""Quiz models, split by feature: attempts (taking quizzes) and progress (what students know)."""

from quiz.models.attempts import NETWORK_GRACE, Answer, AnswerError, Attempt, AttemptQuestion, Quiz
from quiz.models.progress import QuizStanding, ReviewCard, TopicProgress

__all__ = [
    "NETWORK_GRACE",
    "Answer",
    "AnswerError",
    "Attempt",
    "AttemptQuestion",
    "Quiz",
    "QuizStanding",
    "ReviewCard",
    "TopicProgress",
]
