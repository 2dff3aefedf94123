"""Whether a container image reference names one fixed image."""

from __future__ import annotations


def unpinned_image_problem(image: str) -> str | None:
    """Why `image` may change under a running service, or None when a digest or tag pins it."""
    if "@sha256:" in image:
        return None
    last = image.rsplit("/", 1)[-1]
    if ":" not in last:
        return "an untagged image means :latest, which changes under a running service"
    if last.rsplit(":", 1)[1] == "latest":
        return ":latest changes under a running service"
    return None
