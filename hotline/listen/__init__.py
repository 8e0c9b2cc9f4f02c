"""Live transcription: each side of an answered call streamed out of Asterisk into a recogniser of its own.

`hotline listen` is an AudioSocket server (protocol.py, session.py, server.py). Asterisk connects to
it once per call side and streams that side's audio; each stream is recognised as it arrives
(recognise.py, on the process's one Vosk model) and what is heard goes out as typed events — started,
partial, final, ended — through the LiveSink port (events.py), on the bus channel `call:<Linkedid>`.
Processes share nothing: any of them takes any stream, because the stream's UUID carries the call's
Linkedid and side, signed with the deployment secret (streamid.py). Scale out by running more of
them behind one address (DNS or a TCP balancer); a stream stays on the process it connected to.

How Asterisk is asked to stream — the choice, from Asterisk 22's source:

* AMI Originate of an AudioSocket channel running ChanSpy (chosen; originate.py builds it).
  `Channel: AudioSocket/<host:port>/<uuid>/c(slin)`, `Application: ChanSpy`,
  `Data: <Uniqueid>,qoESu`. chan_audiosocket connects, sends the UUID when called, and
  answers at once; ChanSpy's audiohook on the spied channel reads only what that channel says
  (`o`), and its generator writes it to the AudioSocket channel every 20 ms (driven by the
  channel's timer, so the server never has to send anything back); chan_audiosocket writes each
  frame to the socket. It needs nothing but the AMI session hotline already has (`originate`
  write permission; ChanSpy is not on Originate's restricted list), leaves the call's bridge,
  MixMonitor and queue untouched, and ends by itself: when the spied channel hangs up (`E`), when
  the server closes the socket (chan_audiosocket reads end-of-file as hang-up), or on an AMI
  Hangup of its `ChannelId`. One originate per side: the citizen's channel for the citizen, the
  operator's channel for the operator.
* The AudioSocket() dialplan application — no: it takes the channel over, reading and writing it
  until the socket closes, so it cannot run on a channel that is bridged to an operator (it
  exists for voice bots). Dial(AudioSocket/...) would add a party to the call's bridge instead.
* ARI: a snoop channel (spy=in) plus an ExternalMedia channel (RTP, or AudioSocket encapsulation)
  in a mixing bridge — the same audio, but it needs ARI enabled (http.conf, ari.conf), a Stasis
  application holding a websocket, and three resources per stream to create and tear down.
  Worth it only if hotline moves its call control to ARI.

Who sees it: the API's `GET /api/v1/calls/{linkedid}/live` subscribes to the call's channel for the
operator on the call (their console opens it on the screen pop) or the centre's admins and
supervisors, passes every event on as it arrives, and adds `live_draft`: the intake analysis of the
citizen's finals so far (hotline.desk.live_draft). When a stream ends early the call goes on; the
after-call dialogue from the MixMonitor files (hotline.voice.calls) fills in what was missed.

What reaches the server: `c(slin)` makes chan_audiosocket's format 8 kHz signed linear, so every
audio frame is kind 0x10, 320 bytes per 20 ms, and ChanSpy's slin needs no transcoding. Without it
the format is the first codec asked for, and Asterisk 22.0–22.6 sends every format as 0x10 (22.7+
sends 0x11–0x18 for the other slin rates, still 0x10 for any other codec) — so the option is what
makes the bytes unambiguous on every 22.x. The server understands every slin kind (resampled to
the model's rate). Asterisk sends no hang-up frame: it closes the socket, which ends the stream as
a hang-up.
"""
