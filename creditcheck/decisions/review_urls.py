"""Revisões de crédito screens: the queue, a review, a data subject's request."""

from django.urls import path

from creditcheck.decisions import review_views

app_name = "reviews"

urlpatterns = [
    path("", review_views.review_list, name="list"),
    path("<int:pk>/", review_views.review_detail, name="detail"),
    path("pedir/<int:decision_pk>/", review_views.review_request, name="request"),
]
