"""What citizens say on the phone becoming work: voice messages and the transcription of recordings."""
