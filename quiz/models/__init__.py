"""Quiz models, split by feature: attempts (taking quizzes) and progress (what students know)."""

from quiz.models.attempts import NETWORK_GRACE, Answer, AnswerError, Attempt, AttemptQuestion, Quiz
from quiz.models.profile import Profile, display_name_of
from quiz.models.progress import QuizStanding, ReviewCard, TopicProgress

__all__ = [
    "NETWORK_GRACE",
    "Answer",
    "AnswerError",
    "Attempt",
    "AttemptQuestion",
    "Profile",
    "Quiz",
    "QuizStanding",
    "ReviewCard",
    "TopicProgress",
    "display_name_of",
]
