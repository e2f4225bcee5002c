from django.contrib import admin
from django.urls import path

from quiz import views

admin.site.site_header = "2+2 Prep — editors"
admin.site.site_title = "2+2 Prep editors"
admin.site.index_title = "Content and accounts"

urlpatterns = [
    path("", views.home, name="home"),
    path("admin/", admin.site.urls),
]
