"""Narration: what each screen says, and the engines that say it."""
