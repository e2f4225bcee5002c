from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import UserCreationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from quiz.models import Profile
from quiz.models.profile import default_display_name


class SignUpForm(UserCreationForm):
    email = forms.EmailField(required=True, help_text="Used only to reset your password.")

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("quiz:catalogue")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("quiz:catalogue")
    return render(request, "registration/signup.html", {"form": form})


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ("display_name",)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The student's public display name (rank lists never show login names)."""
    instance, _ = Profile.objects.get_or_create(user=request.user)
    form = ProfileForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your display name is saved.")
        return redirect("profile")
    return render(
        request,
        "registration/profile.html",
        {"form": form, "default_name": default_display_name(request.user.pk)},
    )
