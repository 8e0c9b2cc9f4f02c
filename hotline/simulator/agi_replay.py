"""Asterisk's side of a FastAGI session replayed from its own debug log (`agi set debug on`:
`AGI Tx >>` what Asterisk sent, `AGI Rx <<` what it received): the same bytes in the same order,
each answer sent only after the command it answered arrived, HANGUP lines where Asterisk put them."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path

TX, RX = "AGI Tx >> ", "AGI Rx << "


@dataclass
class AgiReplay:
    steps: list[tuple[str, str]]  # ("tx", line Asterisk sends) / ("rx", command it expects)
    received: list[str] = field(default_factory=list)
    mismatch: str | None = None

    @classmethod
    def load(cls, path: Path) -> AgiReplay:
        steps = []
        for line in path.read_text().splitlines():
            if TX in line:
                steps.append(("tx", line.split(TX, 1)[1]))
            elif RX in line:
                steps.append(("rx", line.split(RX, 1)[1]))
        return cls(steps)

    async def call(self, host: str, port: int, timeout: float = 30) -> AgiReplay:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            for kind, text in self.steps:
                if kind == "tx":
                    writer.write(text.encode() + b"\n")
                    await writer.drain()
                    continue
                raw = await asyncio.wait_for(reader.readline(), timeout)
                if not raw:
                    return self  # hotline closed; Asterisk's last HANGUP lines go nowhere
                self.received.append(raw.decode().rstrip("\n"))
                if self.received[-1] != text:
                    self.mismatch = f"expected {text!r}, got {self.received[-1]!r}"
                    return self
            extra = await asyncio.wait_for(reader.readline(), timeout)
            if extra:
                self.mismatch = f"a command after the capture ended: {extra!r}"
        except ConnectionError:
            pass
        finally:
            writer.close()
        return self

    def complete(self) -> bool:
        """Every command Asterisk received in the capture was sent, and nothing else."""
        return self.mismatch is None and len(self.received) == sum(1 for kind, _ in self.steps if kind == "rx")
