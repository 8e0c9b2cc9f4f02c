"""Real notification providers (SMS, WeChat, e-mail, office group robots) behind one small port, plus a fake."""
