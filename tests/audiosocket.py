"""An AudioSocket client that writes what Asterisk 22's chan_audiosocket writes, byte for byte.

res_audiosocket.c: the UUID frame (0x01, length 16, the UUID's 16 bytes) when the channel is called,
then one write() per frame of header + payload — 0x10 frames of 320 bytes (20 ms of 8 kHz slin)
from ChanSpy's generator, 0x03 frames of one digit — and at hang-up a bare close(), no frame.
"""

from __future__ import annotations

import socket
import time
import uuid

import numpy as np

from hotline.listen.protocol import audio_frame, dtmf_frame, uuid_frame

FRAME_SAMPLES = 160  # 20 ms at 8 kHz


class AsteriskLeg:
    def __init__(self, port: int, host: str = "127.0.0.1") -> None:
        self.sock = socket.create_connection((host, port), timeout=10)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # as res_audiosocket sets it
        self.started = 0.0

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def hello(self, stream: uuid.UUID) -> AsteriskLeg:
        self.send(uuid_frame(stream))
        return self

    def audio(self, samples: np.ndarray, *, pace: float | None = 1.0, rate: int = 8000) -> None:
        """Samples in 20 ms frames; `pace` 1.0 is real time, None as fast as the socket takes them."""
        step = rate // 50
        pcm = samples.astype("<i2").tobytes()
        self.started = time.monotonic()
        for i, at in enumerate(range(0, len(pcm), 2 * step)):
            if pace:
                delay = self.started + i * 0.02 / pace - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
            self.send(audio_frame(pcm[at:at + 2 * step], rate))

    def dtmf(self, digits: str) -> None:
        for digit in digits:
            self.send(dtmf_frame(digit))

    def hang_up(self) -> None:
        """What Asterisk does when the spied channel hangs up: close, no frame."""
        self.sock.close()

    def closed_by_server(self, timeout: float = 5.0) -> bool:
        """True once the server has closed its end (reads end-of-file or a reset)."""
        self.sock.settimeout(timeout)
        try:
            return self.sock.recv(1) == b""
        except ConnectionResetError:
            return True
        except TimeoutError:
            return False
