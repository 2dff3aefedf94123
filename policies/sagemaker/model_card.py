"""sagemaker-model-card: every model is covered by an encrypted model card in an allowed status."""

from pulumi_policy import EnforcementLevel, Severity

from mlrails_policies.framework.rule import Controls, Rule
from mlrails_policies.framework.verdicts import NotEvaluated, Violation
from mlrails_policies.framework.wire import UNKNOWN, get, is_set, json_document, tags_of
from mlrails_policies.sagemaker.common import MODEL

MODEL_CARDS = ("aws:sagemaker/modelCard:ModelCard", "aws-native:sagemaker:ModelCard")
CARD_TAG = "model-card"
STATUSES = ["Draft", "PendingReview", "Approved", "Archived"]
DEFAULT_ALLOWED_STATUSES = ["Draft", "PendingReview", "Approved"]


def _card_model_names(card):
    """The model a card describes: content.model_overview.model_name (content may be JSON text)."""
    content = json_document(get(card.props, "content"))
    if not isinstance(content, dict):
        return []
    return [
        get(content, "model_overview", "model_name"),
        get(content, "modelOverview", "modelName"),
    ]


def _cards_for(index, model, cards_by_name):
    cards = {c.urn: c for c in index.linked(model, MODEL_CARDS, "content", _card_model_names)}
    tags = tags_of(model.props)
    wanted = tags.get(CARD_TAG) if isinstance(tags, dict) else None
    if isinstance(wanted, str):
        for card in cards_by_name.get(wanted, ()):
            cards[card.urn] = card
    return list(cards.values())


def _risk_rating(card):
    content = json_document(get(card.props, "content"))
    if content is UNKNOWN:
        return UNKNOWN
    rating = get(content, "intended_uses", "risk_rating") if isinstance(content, dict) else None
    return rating


def _judge_card(card, allowed, need_rating) -> tuple[list[str], bool]:
    """The card's problems, and whether a value it is judged on is unknown."""
    status = get(card.props, "modelCardStatus")
    rating = _risk_rating(card) if need_rating else "not required"
    problems = []
    if not is_set(get(card.props, "securityConfig", "kmsKeyId")):
        problems.append(f"card {card.name} is not encrypted with a customer key")
    if status is not UNKNOWN and status not in allowed:
        problems.append(f"card {card.name} is {status}, allowed: {', '.join(allowed)}")
    if rating is not UNKNOWN and rating in (None, "Unknown"):
        problems.append(f"card {card.name} rates no risk (intended_uses.risk_rating)")
    return problems, UNKNOWN in (status, rating)


def check(index, options):
    allowed = options.get("allowed_statuses") or DEFAULT_ALLOWED_STATUSES
    need_rating = options.get("require_risk_rating", False)
    cards_by_name = {}
    for card in index.of_type(*MODEL_CARDS):
        name = get(card.props, "modelCardName")
        if isinstance(name, str):
            cards_by_name.setdefault(name, []).append(card)
    for model in index.of_type(MODEL):
        cards = _cards_for(index, model, cards_by_name)
        if not cards:
            yield Violation(
                model.urn,
                f"model {model.name} has no model card: nothing records its purpose, owner, "
                f"evaluation and risk (link one with the {CARD_TAG!r} tag)",
            )
            continue
        verdicts = [_judge_card(card, allowed, need_rating) for card in cards]
        if any(not problems and not unknown for problems, unknown in verdicts):
            continue
        if any(unknown for _, unknown in verdicts):
            yield NotEvaluated(
                model.urn, "its model card's status or content can't be known during preview"
            )
        else:
            problems = [problem for card_problems, _ in verdicts for problem in card_problems]
            yield Violation(model.urn, f"model {model.name}: " + "; ".join(problems))


RULE = Rule(
    id="sagemaker-model-card",
    description="Each model is covered by a KMS-encrypted model card in an allowed status.",
    severity=Severity.HIGH,
    enforcement=EnforcementLevel.MANDATORY,
    remediation="Give the model a ModelCard (encrypted with a customer key) and tag the model "
    "with model-card=<card name>; in production, get the card Approved.",
    controls=Controls(
        eu_ai_act=("Art. 14",),
        nist_ai_rmf=("GOVERN 1.4", "MAP 4.1"),
        iso_42001=("A.6.2.7", "A.4.2"),
        soc2=("CC8.1",),
    ),
    judges=(MODEL,),
    reads=MODEL_CARDS,
    check=check,
    stack=True,
    options={
        "allowed_statuses": {
            "type": "array",
            "items": {"type": "string", "enum": STATUSES},
            "default": DEFAULT_ALLOWED_STATUSES,
            "description": "Model card statuses that count (production: Approved only).",
        },
        "require_risk_rating": {
            "type": "boolean",
            "default": False,
            "description": "Also require the card to rate the model's risk (High, Medium or Low).",
        },
    },
)
