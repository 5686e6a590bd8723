from django.apps import AppConfig


class JourneysConfig(AppConfig):
    name = "regulars.journeys"
    label = "journeys"
    verbose_name = "Journeys: the post-purchase care switched on per store"
