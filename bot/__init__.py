"""Sales Coach Bot: a Telegram bot that coaches sales reps through their working day."""
