"""Letters: rendered from registered templates to HTML and PDF, stored, and sent via a channel.

- `service`: the template registry, `create_letter`, `deliver`, who may read which letters;
- `channels`: the delivery channel contract, the demo `OutboxChannel`, the `DigitalPostChannel`;
- `tasks`: the `deliver_letter` background task.

See docs/letters.md.
"""
