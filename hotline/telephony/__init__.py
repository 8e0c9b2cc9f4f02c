"""Telephony: the AMI client port and adapter, call tracking, agents, and a simulated PBX."""
