"""The memory store, sync and async, against the store conformance suite."""

from __future__ import annotations

from authcore.stores.memory import AsyncMemoryStore, MemoryStore
from authcore.testing import PurgeConformance, StoreConformance, WebAuthnConformance


class TestMemoryStore(StoreConformance, PurgeConformance, WebAuthnConformance):
    def make_store(self) -> MemoryStore:
        return MemoryStore()


class TestAsyncMemoryStore(StoreConformance, PurgeConformance, WebAuthnConformance):
    def make_store(self) -> AsyncMemoryStore:
        return AsyncMemoryStore()
