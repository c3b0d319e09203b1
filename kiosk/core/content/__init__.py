"""Content bundles: model, loading and checking."""

from kiosk.core.content.loader import BundleError, Problem, check_bundle, link_allowed, load_bundle
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
    "Problem",
    "Service",
    "Site",
    "Step",
    "StepKind",
    "Text",
    "check_bundle",
    "link_allowed",
    "load_bundle",
]
