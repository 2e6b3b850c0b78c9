# PEM private keys: a body that decodes to DER is high confidence; an
# encrypted one is reported, and says so.
ward-fake --seed 3 'key = """' '%{pem:RSA PRIVATE KEY}' '"""' > key.py
ward-fake --seed 4 '%{pem:ENCRYPTED PRIVATE KEY}' > enc.pem
ward scan key.py enc.pem
