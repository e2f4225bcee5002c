"""Quiz models, split by concept: a quiz, an attempt (the state machine), its frozen
questions and answers, the progress tables, and the student's public profile."""

from quiz.models.answer import Answer, AttemptQuestion
from quiz.models.attempt import Attempt, Reply
from quiz.models.profile import Profile, display_name_of
from quiz.models.progress import QuizStanding, ReviewCard, TopicProgress
from quiz.models.quiz import Quiz

__all__ = [
    "Answer",
    "Attempt",
    "AttemptQuestion",
    "Profile",
    "Quiz",
    "QuizStanding",
    "Reply",
    "ReviewCard",
    "TopicProgress",
    "display_name_of",
]
