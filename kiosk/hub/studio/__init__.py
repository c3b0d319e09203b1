"""The studios: the voice studio (recordings, their decoding and loudness) and the
content studio (drafts, checks, publishing through the delegated key).
"""
