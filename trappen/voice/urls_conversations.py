"""Voice URLs (conversations): Conversations with the child (Lundy), under the case:
the list, a new one, and one conversation's page with its edit form
(trappen/voice/views/conversations.py)."""

from django.urls import path

from trappen.voice.views import conversations

CONVERSATIONS = "sager/<int:case_id>/boernesamtaler/"

urlpatterns = [
    path(CONVERSATIONS, conversations.conversation_list, name="conversations"),
    path(f"{CONVERSATIONS}ny/", conversations.conversation_new, name="conversation_new"),
    path(
        f"{CONVERSATIONS}<int:conversation_id>/",
        conversations.conversation_detail,
        name="conversation",
    ),
]
