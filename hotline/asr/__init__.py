"""Speech recognition: the recognizer port, the Vosk adapter, Chinese normalisation, jobs."""
