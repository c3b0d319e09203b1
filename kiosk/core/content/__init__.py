"""Content bundles: model, loading and checking."""

from kiosk.core.content.links import LinkProblem, canonical_link, link_allowed
from kiosk.core.content.loader import BundleError, Problem, check_bundle, load_bundle
from kiosk.core.content.model import (
    Action,
    Bundle,
    Choice,
    Group,
    HelpPoint,
    Language,
    Service,
    Site,
    Step,
    StepKind,
    Text,
)

__all__ = [
    "Action",
    "Bundle",
    "BundleError",
    "Choice",
    "Group",
    "HelpPoint",
    "Language",
    "LinkProblem",
    "Problem",
    "Service",
    "Site",
    "Step",
    "StepKind",
    "Text",
    "canonical_link",
    "check_bundle",
    "link_allowed",
    "load_bundle",
]
