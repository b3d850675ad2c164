from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationConfig(AppConfig):
    name = "learnloop.application"
    label = "application"
    verbose_name = _("Application")
