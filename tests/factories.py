from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from content.generator import Question
from content.models import (
    Citation,
    Conflict,
    ConflictClaim,
    Fact,
    FactKind,
    QuestionTemplate,
    Source,
    Topic,
)
from quiz.models import Attempt, Quiz

AGREEMENT_FIELDS = [
    {"name": "name", "label": "Acronym", "type": "text", "required": True},
    {"name": "full_name", "label": "Full name", "type": "text"},
    {"name": "year_signed", "label": "Year signed", "type": "year", "required": True},
    {"name": "city", "label": "City", "type": "place"},
]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw-for-tests")


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    slug = factory.Sequence(lambda n: f"source-{n}")
    title = factory.Sequence(lambda n: f"Source document {n}")
    publisher = "Test Publisher"


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name = factory.Sequence(lambda n: f"Topic {n}")


class FactKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FactKind

    slug = factory.Sequence(lambda n: f"kind-{n}")
    name = factory.Sequence(lambda n: f"Kind {n}")
    label = "{name}"
    fields = factory.LazyFunction(lambda: [dict(f) for f in AGREEMENT_FIELDS])
    decoys = factory.LazyFunction(dict)


class FactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fact
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"fact-{n}")
    kind = factory.SubFactory(FactKindFactory)
    topic = factory.SubFactory(TopicFactory)
    status = Fact.Status.PUBLISHED
    values = factory.Sequence(
        lambda n: {
            "name": f"PACT{n}",
            "full_name": f"Pact number {n}",
            "year_signed": 1990 + n % 30,
        }
    )

    @factory.post_generation
    def cited(self, create, extracted, **kwargs):
        if create and extracted is not False:
            CitationFactory(fact=self)


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citation

    fact = factory.SubFactory(FactFactory, cited=False)
    source = factory.SubFactory(SourceFactory)
    locator = "First paragraph"


class QuestionTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuestionTemplate

    slug = factory.Sequence(lambda n: f"template-{n}")
    kind = factory.SubFactory(FactKindFactory)
    style = QuestionTemplate.Style.MCQ
    stem = "In which year was {name} signed?"
    answer_field = "year_signed"
    distractors = QuestionTemplate.Distractors.NEARBY
    explanation = "{name} was signed in {year_signed}."


class ConflictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conflict

    slug = factory.Sequence(lambda n: f"conflict-{n}")
    title = factory.Sequence(lambda n: f"Conflict {n}")
    status = Conflict.Status.OPEN


class ConflictClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConflictClaim

    conflict = factory.SubFactory(ConflictFactory)
    source = factory.SubFactory(SourceFactory)
    claim = "Says something else."


# -- quizzes ----------------------------------------------------------------------------------


class QuizFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quiz
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"quiz-{n}")
    title = factory.Sequence(lambda n: f"Quiz {n}")
    question_count = 3
    published = True


def live_test(n: int, timing: str, opens_in, open_for=None, **fields) -> Quiz:
    """A published live mock test of ``n`` synthetic questions (``make_questions``), its
    paper frozen, opening ``opens_in`` from now and open for ``open_for`` (two hours)."""
    from datetime import timedelta

    from django.utils import timezone

    opens_at = timezone.now() + opens_in
    fields = {"title": "National mock", "paper_minutes": 30, "seconds_per_question": 19} | fields
    quiz = QuizFactory(
        question_count=n,
        timing=timing,
        opens_at=opens_at,
        closes_at=opens_at + (open_for or timedelta(hours=2)),
        **fields,
    )
    quiz.freeze_paper(make_questions(n))
    return quiz


def make_questions(n: int, topic: str = "dialogues") -> list[Question]:
    """Synthetic frozen-ready questions whose correct option is always the one named
    'Right answer N' (at a varying position)."""
    questions = []
    for i in range(1, n + 1):
        options = [f"Wrong {i}a", f"Wrong {i}b", f"Wrong {i}c"]
        answer = i % 4
        options.insert(answer, f"Right answer {i}")
        questions.append(
            Question(
                id=f"tpl-{i}:fact-{i}",
                template=f"tpl-{i}",
                style="mcq",
                stem=f"Question number {i}?",
                options=options,
                answer=answer,
                explanation=f"Because {i}.",
                sources=[f"Doc {i} — para 1"],
                topic=topic,
                facts=[f"fact-{i}"],
            )
        )
    return questions


def start_attempt(user, now, n: int = 3, begin: bool = True, **quiz_fields) -> Attempt:
    """An attempt at a new quiz of ``n`` questions; a paper's clock already started (the
    student read the instructions and pressed "I am ready to begin") unless ``begin=False``."""
    quiz = QuizFactory(question_count=n, **quiz_fields)
    attempt = Attempt.start(user, quiz, now, make_questions(n), seed=7)
    if begin and not attempt.is_drill:
        attempt.begin(now)
    return attempt


def play_drill(attempt: Attempt, picks, clock, seconds: float = 10) -> Attempt:
    """Answer a drill question by question: True right, False wrong, None let it time out.
    ``clock`` is the time-machine traveller; each answer takes ``seconds``."""
    from django.utils import timezone

    for position, pick in enumerate(picks, 1):
        question = attempt.current_question(timezone.now())
        clock.shift(seconds)
        if pick is None:
            clock.shift(30)
            continue
        token = (
            question.correct_token
            if pick
            else next(t for t in question.tokens() if t != question.correct_token)
        )
        attempt.answer(Attempt.Intent.SAVE, position, token, timezone.now())
    attempt.current_question(timezone.now())
    attempt.refresh_from_db()
    return attempt
