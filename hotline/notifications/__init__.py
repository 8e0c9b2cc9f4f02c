"""Notifications: citizen notices and staff messages written to an outbox with the change that caused them, and
delivered through the provider each channel's settings choose (SMS platforms, WeChat, e-mail, group robots)."""
