from django.core.files.base import ContentFile

from lectures.models import Lecture


def ready_lecture(*, title="学习贯彻党的二十大精神", duration=600.0, **fields) -> Lecture:
    """A lecture as the worker leaves it (no files: the watch rules need only the length)."""
    values = {
        "status": Lecture.Status.READY,
        "progress": 100,
        "duration": duration,
        "renditions": [{"name": "240p", "height": 240, "kbps": 348}],
        **fields,
    }
    return Lecture.objects.create(
        title=title, source=ContentFile(b"\x00", name="lecture.mp4"), **values
    )
