"""Chinese word segmentation for the search index and for queries.

Wagtail's database backends (SQLite FTS5, PostgreSQL tsvector with the `simple` config)
split text on spaces and punctuation only, so "沁阳市区域党委引领…" is one unsearchable
token. Pages therefore index an extra field holding the text cut into words by jieba in
search mode (words plus their shorter dictionary sub-words), and queries are cut the same
way, so 孟州 finds 孟州市 and 集体经济 finds 村集体经济.
"""

import logging
import re
import threading

from django.utils.html import strip_tags

# Terms of this domain that jieba's general dictionary cuts apart or misses.
DOMAIN_WORDS = [
    "先导区",
    "区域党委",
    "区域化党委",
    "片区化",
    "组团式",
    "强村公司",
    "集体经济",
    "五大振兴",
    "五措并举",
    "四轮驱动",
    "总指挥部",
    "前线施工部",
    "第一书记",
    "乡镇书记",
    "党支部",
    "合作社",
    "龙头企业",
    "孟州",
    "沁阳",
    "信阳",
    "焦作",
    "全员轮训",
]

_lock = threading.Lock()
_ready = False
_WORD = re.compile(r"\w", re.UNICODE)


def _jieba():
    global _ready
    # Imported here: jieba is slow to import: loaded on the first search.
    import jieba

    if not _ready:
        with _lock:
            if not _ready:
                jieba.setLogLevel(logging.WARNING)
                for word in DOMAIN_WORDS:
                    jieba.add_word(word, freq=200000)
                _ready = True
    return jieba


def segment_for_index(*texts) -> str:
    """Every word and sub-word of the texts, separated by spaces, for one SearchField."""
    jieba = _jieba()
    text = strip_tags(" ".join(str(t) for t in texts if t))
    return " ".join(w for w in jieba.cut_for_search(text) if _WORD.search(w))


def query_terms(query: str) -> list[str]:
    """The words to look for. One-character words (区, 的, 村) only when nothing else is left,
    as they would match almost every page."""
    jieba = _jieba()
    words = [w.strip() for w in jieba.cut_for_search(query[:100]) if _WORD.search(w)]
    words = list(dict.fromkeys(w for w in words if w))
    longer = [w for w in words if len(w) > 1]
    return longer or words
