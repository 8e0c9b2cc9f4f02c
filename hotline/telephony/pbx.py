"""Agent actions through AMI (QueueAdd, QueuePause, QueueRemove) and Originate, behind a small port."""

from __future__ import annotations

from hotline.core.errors import ConflictError, HotlineError
from hotline.telephony.ami import AmiClient, login_action

HOLD_CONTEXT = "hotline-hold"  # extensions.conf: music on hold for the citizen (保持)
HOLDING_CONTEXT = "hotline-holding"  # extensions.conf: the operator's leg waits meanwhile


class PbxUnavailableError(HotlineError):
    status_code = 503
    error_id = "pbx_unavailable"


class AmiPbx:
    """One short manager session per request: the API never depends on the listener's connection."""

    def __init__(self, host: str | None, port: int, username: str, secret: str, timeout: float = 5) -> None:
        self.host, self.port, self.username, self.secret, self.timeout = host, port, username, secret, timeout

    @classmethod
    def from_settings(cls, settings) -> AmiPbx:
        return cls(settings.ami_host, settings.ami_port, settings.ami_username, settings.ami_secret.get_secret_value())

    def queue_add(self, queue: str, interface: str, member_name: str) -> dict:
        return self.action("QueueAdd", Queue=queue, Interface=interface, MemberName=member_name, Paused="false")

    def queue_pause(self, queue: str, interface: str, paused: bool, reason: str = "") -> dict:
        return self.action("QueuePause", Queue=queue, Interface=interface, Paused=str(paused).lower(), Reason=reason)

    def queue_remove(self, queue: str, interface: str) -> dict:
        return self.action("QueueRemove", Queue=queue, Interface=interface)

    def originate(self, action_id: str, channel: str, context: str, exten: str, caller_id: str,
                  variables: dict[str, str], channel_id: str | None = None) -> dict:
        """`channel_id` becomes the first leg's Uniqueid, so the call's Linkedid is known before it starts."""
        keys = {"ActionID": action_id, "Channel": channel, "Context": context, "Exten": exten, "Priority": 1,
                "CallerID": caller_id, "Timeout": 30000, "Async": "true"}
        if channel_id:
            keys["ChannelId"] = channel_id
        return self.action("Originate", variables=variables, **keys)

    def blind_transfer(self, action_id: str, channel: str, context: str, exten: str) -> dict:
        """Everyone bridged with `channel` (the operator's leg) goes to exten@context; Asterisk answers once the
        transfer is done ("Transfer succeeded") and raises a BlindTransfer event."""
        return self.action("BlindTransfer", ActionID=action_id, Channel=channel, Context=context, Exten=exten)

    def attended_transfer(self, action_id: str, channel: str, context: str, exten: str) -> dict:
        """Atxfer: the features.conf `atxfer` code and the number are queued on `channel` as if keyed; the
        citizen waits on hold while the operator talks to the other side ("Atxfer successfully queued")."""
        return self.action("Atxfer", ActionID=action_id, Channel=channel, Context=context, Exten=exten)

    def cancel_attended_transfer(self, channel: str) -> dict:
        return self.action("CancelAtxfer", Channel=channel)

    def hold(self, action_id: str, citizen: str, operator: str, citizen_context: str, operator_context: str) -> dict:
        """保持: a dual Redirect takes both legs out of the queue's bridge at once — the citizen to a context
        that plays music on hold, the operator's leg to one that waits — so neither is hung up (a single
        Redirect or Park of the citizen leaves the operator alone in a basic bridge, which dissolves and
        hangs the operator's leg up: main/bridge.c bridge_dissolve_check_stolen). Both keep their Linkedid.
        `citizen` may be the Uniqueid (Redirect looks channels up by name or Uniqueid)."""
        return self.action("Redirect", ActionID=action_id, Channel=citizen, Context=citizen_context, Exten="s",
                           Priority=1, ExtraChannel=operator, ExtraContext=operator_context, ExtraExten="s",
                           ExtraPriority=1)

    def take_back(self, action_id: str, operator: str, citizen: str) -> dict:
        """取回: AMI Bridge puts both legs in a new basic bridge ("Channels have been bridged"); Bridge finds
        channels by name prefix only, so `citizen` is the channel's name."""
        return self.action("Bridge", ActionID=action_id, Channel1=operator, Channel2=citizen, Tone="no")

    def press(self, channel: str, digits: str) -> None:
        """Key `digits` as if the phone on `channel` sent them (PlayDTMF with Receive), one session for all."""
        for digit in digits:
            self.action("PlayDTMF", Channel=channel, Digit=digit, Receive="true")

    def send(self, action: dict[str, str]) -> dict:
        """Any action built elsewhere (e.g. the live-listening Originate), as a dict with its `Action`."""
        keys: dict = dict(action)
        return self.action(keys.pop("Action"), None, **keys)

    def module_loaded(self, module: str) -> bool:
        """Is this module loaded in the running Asterisk (AMI ModuleCheck, write=system)?"""
        try:
            self.action("ModuleCheck", Module=module)
        except ConflictError:
            return False  # "Module not loaded"
        return True

    def action(self, name: str, variables: dict[str, str] | None = None, **keys) -> dict:
        if not self.host:
            raise PbxUnavailableError("telephony is not configured (HOTLINE_AMI_HOST is unset)")
        client = AmiClient(self.host, self.port, lambda packet: None, timeout=self.timeout)
        try:
            client.connect()
        except OSError as exc:
            raise PbxUnavailableError(f"Asterisk manager at {self.host}:{self.port} is unreachable: {exc}") from None
        try:
            login = client.send_action(login_action(self.username, self.secret)).response
            if login is None or login.is_error():
                raise PbxUnavailableError("Asterisk refused the manager login")
            response = client.action(name, variables, **keys)
            if response is None:
                raise PbxUnavailableError(f"Asterisk did not answer {name}")
            if response.is_error():
                raise ConflictError(f"Asterisk refused {name}: {response.keys.get('Message', '')}",
                                    details={"action": name, "message": response.keys.get("Message", "")},
                                    error_id="pbx_refused")
            client.action("Logoff")
            return dict(response.keys)
        finally:
            client.close()
