"""Where the project's own files are: assets, default content, documented config.

Kömək runs from its checkout (or an installed copy of it), so these sit beside
the package.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
DEFAULT_CONTENT = ASSETS / "content"
FONTS = ASSETS / "fonts"
FONT_REGULAR = FONTS / "NotoSans-Regular.ttf"
FONT_BOLD = FONTS / "NotoSans-Bold.ttf"
ICON_FONT = ASSETS / "icons" / "materialdesignicons-webfont.ttf"
ICON_CODEPOINTS = ASSETS / "icons" / "mdi-codepoints.json"
CONFIG_DIR = ROOT / "config"
