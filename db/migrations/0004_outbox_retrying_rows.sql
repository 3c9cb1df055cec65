-- Hand-written: rows that already failed at least once wait as 'retrying' (the state did not exist before).
UPDATE `email_outbox` SET `state` = 'retrying' WHERE `state` = 'pending' AND `attempts` > 0;
