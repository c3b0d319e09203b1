"""Pictures made at run time (QR codes, slip previews) as Kivy textures."""

from __future__ import annotations

from kivy.graphics.texture import Texture
from PIL import Image

from kiosk.core.content import link_allowed


class LinkRefused(ValueError):
    pass


def pil_texture(img: Image.Image) -> Texture:
    rgb = img.convert("RGB")
    texture = Texture.create(size=rgb.size, colorfmt="rgb")
    texture.blit_buffer(rgb.tobytes(), colorfmt="rgb", bufferfmt="ubyte")
    texture.flip_vertical()
    texture.mag_filter = "nearest"  # QR modules stay sharp when scaled up
    return texture


def qr_texture(link: str, allowlist: list[str]) -> Texture:
    """A QR code for an allowlisted link; anything else is refused."""
    import qrcode

    if not link_allowed(link, allowlist):
        raise LinkRefused(link)
    img = qrcode.make(link, border=2, box_size=8).get_image()
    return pil_texture(img)
