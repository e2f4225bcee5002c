from django.contrib import admin
from django.urls import include, path

from quiz.views import analytics, attempts, catalogue, dashboard, results, site, study

admin.site.site_header = "2+2 Prep — editors"
admin.site.site_title = "2+2 Prep editors"
admin.site.index_title = "Content and accounts"

quiz_patterns = [
    path("quizzes/", catalogue.catalogue, name="catalogue"),
    path("quizzes/build/", study.build, name="build"),
    path("quizzes/<slug:slug>/start/", catalogue.start, name="start"),
    path("quizzes/<slug:slug>/ranks/", catalogue.ranks, name="ranks"),
    path("attempts/<int:pk>/", attempts.attempt_page, name="attempt"),
    path("attempts/<int:pk>/begin/", attempts.begin, name="begin"),
    path("attempts/<int:pk>/answer/", attempts.answer, name="answer"),
    path("attempts/<int:pk>/summary/", attempts.summary, name="summary"),
    path("attempts/<int:pk>/submit/", attempts.submit, name="submit"),
    path("attempts/<int:pk>/results/", results.results, name="results"),
    path("attempts/<int:pk>/review/", results.review, name="review"),
    path("attempts/<int:pk>/mistakes/", results.mistakes, name="mistakes"),
    path("attempts/<int:pk>/questions/<int:position>/bookmark/", study.bookmark, name="bookmark"),
    path("attempts/<int:pk>/questions/<int:position>/report/", study.report, name="report"),
    path("bookmarks/", study.bookmarks, name="bookmarks"),
    path("bookmarks/<int:pk>/remove/", study.unbookmark, name="unbookmark"),
    path("bookmarks/practise/", study.practise_bookmarks, name="practise_bookmarks"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/answers.csv", dashboard.export_csv, name="export"),
    path("analytics/items/", analytics.items, name="items"),
    path("analytics/coverage/", analytics.coverage, name="coverage"),
]

urlpatterns = [
    path("", site.home, name="home"),
    path("healthz", site.healthz, name="healthz"),
    path("hello", site.hello, name="hello"),
    path("", include((quiz_patterns, "quiz"))),
    path("accounts/signup/", site.signup, name="signup"),
    path("accounts/profile/", site.profile, name="profile"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]
handler500 = "quiz.views.site.server_error"
handler400 = "quiz.params.bad_request"
