"""The block the lead adds to the lesson StreamField: a quiz card with a start link."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock


class QuizBlock(blocks.StructBlock):
    quiz = SnippetChooserBlock("assessments.Quiz", label=_("Quiz"))
    heading = blocks.CharBlock(
        label=_("Heading"), required=False, help_text=_("Empty: the quiz's title.")
    )

    class Meta:
        icon = "tasks"
        label = _("Quiz")
        template = "assessments/blocks/quiz_block.html"
        preview_value = {"heading": "随堂测验"}
        description = _("A quiz card with a link to take it")
