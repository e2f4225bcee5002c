"""Quiz models, split by concept: a quiz, an attempt (the state machine), its frozen
questions and answers, the progress tables, and the student's public profile."""

from quiz.models.answer import Answer, AttemptQuestion
from quiz.models.attempt import Attempt, Reply
from quiz.models.profile import Profile, display_name_of
from quiz.models.progress import QuizStanding, ReviewCard, TopicProgress
from quiz.models.quiz import Quiz
from quiz.models.study import Bookmark, ErrorReport, QuizChoice

__all__ = [
    "Answer",
    "Attempt",
    "Bookmark",
    "ErrorReport",
    "AttemptQuestion",
    "Profile",
    "Quiz",
    "QuizChoice",
    "QuizStanding",
    "Reply",
    "ReviewCard",
    "TopicProgress",
    "display_name_of",
]
