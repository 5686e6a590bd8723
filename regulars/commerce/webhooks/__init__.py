"""Store-platform webhooks (Shopify, WooCommerce).

- `signatures`: the HMAC rule both platforms use.
- `base`: `PlatformSpec` (headers, topic handlers) and the payload -> input-model helpers.
- `shopify`, `woocommerce`: one module per platform: status maps, payload mapping, and a dict
  of topic -> handler. Adding a topic is one function and one dict entry.
- `registry`: the platforms by name.
- `views`: the intake endpoints: verify, keep the delivery, enqueue, answer 200.

Keeping, processing and replaying deliveries is `commerce.services.deliveries`.
"""
