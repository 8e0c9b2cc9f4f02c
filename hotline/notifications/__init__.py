"""Notifications: SMS, WeChat template messages and e-mail behind one port, delivered from an outbox."""
