from django.db import migrations

# The quizzes every installation starts with; editors change or add more in the admin.
STANDARD = [
    {
        "slug": "quick-10",
        "title": "Quick 10",
        "description": "Ten questions across every topic, 19 seconds each, with the answer and its source after each one.",
        "question_count": 10,
        "timing": "drill",
        "mode": "practice",
        "order": 0,
    },
    {
        "slug": "drill-19-seconds",
        "title": "19-second drill",
        "description": "Twenty questions, 19 seconds each, no going back. Feedback at the end.",
        "question_count": 20,
        "timing": "drill",
        "mode": "exam",
        "order": 1,
    },
    {
        "slug": "upsc-formats-practice",
        "title": "UPSC formats: statements and pairs",
        "description": "Practise the formats Prelims uses most: which statements are correct, how many are correct, how many pairs match.",
        "question_count": 10,
        "timing": "drill",
        "mode": "practice",
        "styles": ["statements", "how_many", "pairs"],
        "seconds_per_question": 45,
        "order": 2,
    },
    {
        "slug": "prelims-mock-paper",
        "title": "Prelims-style mock paper",
        "description": "Fifty questions in 60 minutes with UPSC marking (+2, −2/3, 0). Move freely between questions and mark them for review.",
        "question_count": 50,
        "timing": "paper",
        "paper_minutes": 60,
        "mode": "exam",
        "order": 3,
    },
]


def create(apps, schema_editor):
    Quiz = apps.get_model("quiz", "Quiz")
    for spec in STANDARD:
        Quiz.objects.get_or_create(slug=spec["slug"], defaults={**spec, "published": True})


def remove(apps, schema_editor):
    Quiz = apps.get_model("quiz", "Quiz")
    Quiz.objects.filter(slug__in=[s["slug"] for s in STANDARD]).delete()


class Migration(migrations.Migration):
    dependencies = [("quiz", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
