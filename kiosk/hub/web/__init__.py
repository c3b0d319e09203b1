"""The web shell every hub page shares (shell: login, header, navigation, language
switch, errors) and the static files (HTML, CSS, JS) the pages load.
"""
