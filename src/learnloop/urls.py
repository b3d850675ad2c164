from django.contrib import admin
from django.urls import include, path

from learnloop.api import api
from learnloop.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("items/<str:kind>/<int:pk>/comments", core_views.item_comment, name="item_comment"),
    path("items/<str:kind>/<int:pk>/history", core_views.item_history, name="item_history"),
    path("items/<str:kind>/<int:pk>/delete", core_views.item_delete, name="item_delete"),
    path("items/<str:kind>/<int:pk>/restore", core_views.item_restore, name="item_restore"),
    path("items/<str:kind>/<int:pk>/attach", core_views.item_attach, name="item_attach"),
    path("trash/", core_views.trash, name="trash"),
    path("attachments/<int:pk>", core_views.attachment_download, name="attachment"),
    path("", include("learnloop.people.auth_urls")),
    path("", include("learnloop.people.urls")),
    path("", include("learnloop.generation.urls")),
    path("ideas/", include("learnloop.consolidation.urls")),
    path("decisions/", include("learnloop.consolidation.decision_urls")),
    path("standards/", include("learnloop.consolidation.standard_urls")),
    path("reviews/", include("learnloop.consolidation.review_urls")),
    path("routines/", include("learnloop.consolidation.routine_urls")),
    path("products/", include("learnloop.capture.urls")),
    path("", include("learnloop.sharing.urls")),
    path("brokers/", include("learnloop.sharing.broker_urls")),
    path("newsletter/", include("learnloop.sharing.newsletter_urls")),
    path("adoption/", include("learnloop.application.urls")),
    path("measures/", include("learnloop.measures.urls")),
    path("value/", include("learnloop.value.urls")),
    path("health/", include("learnloop.health.urls")),
    path("", include("learnloop.community.meeting_urls")),
    path("", include("learnloop.community.space_urls")),
    path("network/", include("learnloop.network.urls")),
    path("notifications/", include("learnloop.notifications.urls")),
    path("search/", include("learnloop.search.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
