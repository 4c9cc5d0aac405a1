"""What templates get of a question: only what the trainee may see at that moment.

Correct options, accepted answers and explanations are copied in only when `reveal` is
true, so no template or JSON can leak them before the quiz's review setting allows; an
option is named by its per-attempt token, never by its key (which follows authoring order).
"""

from .grading import correct_answer_display
from .option_tokens import option_tokens


def question_view(aq, *, reveal: bool, show_marks: bool = False) -> dict:
    data = aq.version.data
    by_key = {o["key"]: o for o in data["options"]}
    answer = aq.answer
    chosen = set(answer if isinstance(answer, list) else [answer] if answer else [])
    order = aq.option_order or list(by_key)
    # The page names an option by its token, never by its key: keys follow authoring order.
    tokens = option_tokens(attempt_id=aq.attempt_id, position=aq.position, keys=order)
    options = []
    for i, key in enumerate(order):
        option = {
            "value": tokens[key],
            "label": chr(65 + i),
            "text": by_key[key]["text"],
            "chosen": key in chosen,
        }
        if reveal:
            option["correct"] = by_key[key]["correct"]
        options.append(option)
    view = {
        "position": aq.position,
        "type": data["type"],
        "stem": data["stem"],
        "points": aq.points,
        "options": options,
        "answer": answer,
        "seq": aq.answer_seq,
        "answered": answer is not None,
    }
    if show_marks:
        view["score"] = aq.score
        view["pending"] = aq.needs_grading
        view["comment"] = aq.comment
    if reveal:
        view["correct_answer"] = correct_answer_display(data, aq.option_order)
        view["explanation"] = data.get("explanation", "")
        view["is_correct"] = aq.score is not None and aq.score == aq.points
        # Some marks but not all: partial credit on a multiple choice, or an essay the
        # instructor gave less than full marks. Neither is shown as wrong.
        view["is_partial"] = aq.score is not None and 0 < aq.score < aq.points
    return view
