"""StreamField blocks for lessons and case studies.

Every block is a StructBlock with its own template and a preview value, so authors see in
the block picker what a block looks like before adding it. `LessonBodyBlock` is the one
place that lists what a lesson may contain: adding the quiz block is one line there.
"""

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from assessments.blocks import QuizBlock
from lectures.blocks import LectureBlock

RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "h3", "h4", "hr"]


class RichTextBlock(blocks.StructBlock):
    text = blocks.RichTextBlock(label=_("text"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "pilcrow"
        label = _("Rich text")
        template = "courses/blocks/rich_text.html"
        preview_value = {
            "text": "<p>先导区是河南为破解碎片化振兴提供的<b>制度创新平台</b>。</p>",
        }
        description = _("Paragraphs, lists and links.")


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("heading"), max_length=120)
    level = blocks.ChoiceBlock(
        label=pgettext_lazy("case study", "level"),
        choices=[("h2", _("Section heading")), ("h3", _("Subheading"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "courses/blocks/heading.html"
        preview_value = {"text": "一、什么是先导区", "level": "h2"}
        description = _("A section title that also appears in the lesson outline.")


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), max_length=200, required=False)
    credit = blocks.CharBlock(label=_("photo credit"), max_length=100, required=False)

    class Meta:
        icon = "image"
        label = _("Image with caption")
        template = "courses/blocks/image.html"
        description = _("A picture shown full width on phones, with a caption.")


class VideoBlock(blocks.StructBlock):
    """A video from the document library (an uploaded MP4) or an embed from a video site."""

    title = blocks.CharBlock(label=_("title"), max_length=200, required=False)
    video_file = DocumentChooserBlock(
        label=_("uploaded video file"),
        required=False,
        help_text=_("An MP4 file uploaded to the document library."),
    )
    embed = EmbedBlock(
        label=_("embedded video"),
        required=False,
        help_text=_("Or the address of the video on a video site."),
    )
    caption = blocks.CharBlock(label=_("caption"), max_length=200, required=False)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "courses/blocks/video.html"
        description = _("An uploaded video file or an embedded video.")

    def clean(self, value):
        value = super().clean(value)
        has_file, has_embed = bool(value.get("video_file")), bool(value.get("embed"))
        if has_file == has_embed:
            message = _("Choose either an uploaded video file or an embedded video.")
            raise blocks.StructBlockValidationError(
                block_errors={"video_file": ErrorList([ValidationError(message)])}
            )
        return value


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    description = blocks.CharBlock(label=_("description"), max_length=200, required=False)

    class Meta:
        icon = "doc-full"
        label = _("Document download")
        template = "courses/blocks/document.html"
        description = _("A file trainees can download, e.g. the policy text.")


class KeyPointBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=100, default="要点")
    points = blocks.ListBlock(
        blocks.CharBlock(max_length=300), label=pgettext_lazy("case study", "points")
    )

    class Meta:
        icon = "tick-inverse"
        label = _("Key points")
        template = "courses/blocks/key_points.html"
        preview_value = {
            "title": "五大要素",
            "points": ["空间", "产业", "人才", "组织", "生态"],
        }
        description = _("A highlighted box with the points to remember.")


class QuotationBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("quotation"))
    source = blocks.CharBlock(label=_("source"), max_length=200)
    source_date = blocks.DateBlock(label=_("date"), required=False)

    class Meta:
        icon = "openquote"
        label = _("Quotation with source")
        template = "courses/blocks/quotation.html"
        preview_value = {
            "quote": "县是先导区建设的总指挥部，乡镇是前线施工部。",
            "source": "河南新闻广播",
        }
        description = _("A quoted passage and where it comes from.")


class CaseStudyCardBlock(blocks.StructBlock):
    case_study = blocks.PageChooserBlock(label=_("case study"), page_type="courses.CaseStudyPage")
    note = blocks.CharBlock(
        label=_("why read it"),
        max_length=200,
        required=False,
        help_text=_("One sentence on what this case shows for the lesson."),
    )

    class Meta:
        icon = "folder-open-inverse"
        label = _("Case study card")
        template = "courses/blocks/case_study_card.html"
        description = _("A card linking to a case in the case library.")


class LessonBodyBlock(blocks.StreamBlock):
    """What a lesson may contain. The quiz block joins here as one more line."""

    heading = HeadingBlock()
    text = RichTextBlock()
    image = ImageBlock()
    video = VideoBlock()
    lecture = LectureBlock()
    document = DocumentBlock()
    key_points = KeyPointBlock()
    quotation = QuotationBlock()
    case_study = CaseStudyCardBlock()
    quiz = QuizBlock()

    class Meta:
        block_counts = {}


class PracticeBlock(blocks.StructBlock):
    """One thing the place did; ordered, as the case tells them in sequence."""

    title = blocks.CharBlock(label=_("title"), max_length=120)
    text = blocks.RichTextBlock(label=_("description"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "list-ol"
        label = _("Practice")
        template = "courses/blocks/practice.html"
        preview_value = {
            "title": "站位全局强统筹",
            "text": "<p>组建乡村特色产业发展专班，统筹农业农村、财政等部门力量。</p>",
        }


class FigureBlock(blocks.StructBlock):
    """A result as data, so the case page can show it as a figure, not a sentence."""

    label = blocks.CharBlock(label=_("what is measured"), max_length=60)
    value = blocks.DecimalBlock(label=_("value"), decimal_places=2)
    unit = blocks.CharBlock(label=_("unit"), max_length=20, required=False)
    year = blocks.IntegerBlock(label=_("year"), required=False, min_value=1949, max_value=2100)

    class Meta:
        icon = "pick"
        label = _("Figure")
        template = "courses/blocks/figure.html"
        preview_value = {"label": "主导产业生产总值", "value": "25.7", "unit": "亿元", "year": 2024}


class LessonLearntBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=120)
    text = blocks.TextBlock(label=_("explanation"), required=False)

    class Meta:
        icon = "help"
        label = _("Lesson learnt")
        template = "courses/blocks/lesson_learnt.html"
        preview_value = {"title": "坚持党建引领、以强带弱", "text": "打破村与村的界限。"}
