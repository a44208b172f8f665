from django.core import mail


def test_mail_goes_through_the_loopback_smtp_server(smtp_mailbox):
    mail.send_mail("Hello", "Body text", "from@example.com", ["to@example.com"])
    message = smtp_mailbox.wait_for(lambda m: m["Subject"] == "Hello")
    assert message["To"] == "to@example.com"
    assert "Body text" in message.get_content()
