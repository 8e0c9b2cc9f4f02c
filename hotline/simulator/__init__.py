"""The simulated PBX: a fake Asterisk manager replaying real captures, a FastAGI caller, the demo."""
