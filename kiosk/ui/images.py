"""Pictures made at run time (QR codes, slip previews) as Kivy textures."""

from __future__ import annotations

from kivy.graphics.texture import Texture
from PIL import Image

from kiosk.core.slips import render_qr

QR_BOX_PX = 480


def pil_texture(img: Image.Image) -> Texture:
    rgb = img.convert("RGB")
    texture = Texture.create(size=rgb.size, colorfmt="rgb")
    texture.blit_buffer(rgb.tobytes(), colorfmt="rgb", bufferfmt="ubyte")
    texture.flip_vertical()
    texture.mag_filter = "nearest"  # QR modules stay sharp when scaled
    return texture


def qr_texture(link: str, allowlist: list[str]) -> Texture:
    """A QR code for an allowlisted link; anything else raises LinkRefused (and is logged)."""
    return pil_texture(render_qr(link, allowlist, QR_BOX_PX))
