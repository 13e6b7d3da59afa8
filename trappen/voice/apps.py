from django.apps import AppConfig


class VoiceConfig(AppConfig):
    name = "trappen.voice"
    label = "voice"
    verbose_name = "Barnets stemme og netværk"
