from django.db import migrations


def forwards(apps, schema_editor):
    Answer = apps.get_model("quiz", "Answer")
    for answer in Answer.objects.select_related("attempt", "question").filter(question_key="").iterator():
        question = answer.question
        answer.user_id = answer.attempt.user_id
        answer.question_key = question.question_id
        answer.template_slug = question.template_slug
        answer.topic_slug = question.topic_slug
        answer.chosen_text = next(
            (o["text"] for o in question.options if o["token"] == answer.chosen_token), ""
        )
        answer.save(update_fields=["user", "question_key", "template_slug", "topic_slug", "chosen_text"])
    Quiz = apps.get_model("quiz", "Quiz")
    Quiz.objects.get_or_create(
        slug="review-due",
        defaults={
            "title": "Review due",
            "description": "The facts your spaced-review schedule says are due, as a practice drill.",
            "question_count": 10,
            "timing": "drill",
            "mode": "practice",
            "published": True,
            "order": 99,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("quiz", "0003_progress")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
