"""One module per channel. Each gives a `Sender` for a store's `ChannelConfig`; see base.py.

Every module has `open_sender(config)`; e-mail also takes the store (its name is the default
sender name) and works without a `ChannelConfig`, from the installation's e-mail settings.
"""

from importlib import import_module

from regulars.messaging.channels.base import ChannelNotConfigured

SENDERS = {
    "email": "regulars.messaging.channels.email",
    "sms": "regulars.messaging.channels.apprise_channel",
    "whatsapp": "regulars.messaging.channels.apprise_channel",
    "push": "regulars.messaging.channels.apprise_channel",
    "webhook": "regulars.messaging.channels.webhook",
}


def open_sender(channel: str, config, store):
    module = import_module(SENDERS[channel])
    if channel == "email":
        return module.open_sender(config, store)
    if config is None or not config.enabled:
        raise ChannelNotConfigured(channel)
    return module.open_sender(config)
