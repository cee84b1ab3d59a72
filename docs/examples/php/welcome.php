<?php
// mail() runs sendmail_path with these headers and body; the extra -f sets the envelope sender.
$sent = mail(
    'alice@example.test',
    'Welcome',
    "Your code is 482913.\n",
    ['From' => 'App <no-reply@app.example.test>', 'Content-Type' => 'text/plain; charset=UTF-8'],
    '-f bounces@app.example.test'
);
exit($sent ? 0 : 1);
