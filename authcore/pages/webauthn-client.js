// authcore's passkey form script: what @auth/core@0.41.3
// packages/core/src/lib/utils/webauthn-client.js does with @simplewebauthn/browser 9, without
// loading anything from a CDN. It finds each form with data-webauthn-options (the URL of
// GET /webauthn-options/<id>), asks for options, runs navigator.credentials.create() or
// .get(), and posts the result as the form fields `action` and `data` (the credential as
// JSON, binary fields base64url). The form with data-webauthn-conditional also offers
// passkeys in its field's autofill (mediation: "conditional") where the browser can.
(function () {
  "use strict";

  function fromB64url(text) {
    var b64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) b64 += "=";
    var bin = atob(b64);
    var bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return bytes.buffer;
  }

  function toB64url(buffer) {
    var bytes = new Uint8Array(buffer);
    var bin = "";
    for (var i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function descriptors(list) {
    return (list || []).map(function (c) {
      var d = { id: fromB64url(c.id), type: c.type };
      if (c.transports) d.transports = c.transports;
      return d;
    });
  }

  function creationOptions(o) {
    var out = Object.assign({}, o);
    out.challenge = fromB64url(o.challenge);
    // @simplewebauthn/server 9 sends the user handle as a UTF-8 string.
    out.user = Object.assign({}, o.user, { id: new TextEncoder().encode(o.user.id).buffer });
    out.excludeCredentials = descriptors(o.excludeCredentials);
    return out;
  }

  function requestOptions(o) {
    var out = Object.assign({}, o);
    out.challenge = fromB64url(o.challenge);
    if (o.allowCredentials) out.allowCredentials = descriptors(o.allowCredentials);
    return out;
  }

  function common(cred) {
    return {
      id: cred.id,
      rawId: toB64url(cred.rawId),
      type: cred.type,
      clientExtensionResults: cred.getClientExtensionResults(),
      authenticatorAttachment: cred.authenticatorAttachment || undefined,
    };
  }

  function registrationJSON(cred) {
    var r = cred.response;
    var out = common(cred);
    out.response = {
      clientDataJSON: toB64url(r.clientDataJSON),
      attestationObject: toB64url(r.attestationObject),
      transports: typeof r.getTransports === "function" ? r.getTransports() : undefined,
    };
    return out;
  }

  function authenticationJSON(cred) {
    var r = cred.response;
    var out = common(cred);
    out.response = {
      clientDataJSON: toB64url(r.clientDataJSON),
      authenticatorData: toB64url(r.authenticatorData),
      signature: toB64url(r.signature),
      userHandle: r.userHandle ? toB64url(r.userHandle) : undefined,
    };
    return out;
  }

  function setup(form) {
    var optionsUrl = form.getAttribute("data-webauthn-options");
    var status = form.querySelector("[data-webauthn-status]");
    var pending = null;

    function say(text) {
      if (status) {
        status.textContent = text;
        status.hidden = !text;
      }
    }

    function fields() {
      return Array.prototype.slice.call(form.querySelectorAll("input[data-form-field]"));
    }

    function fetchOptions(action) {
      var url = new URL(optionsUrl, window.location.href);
      if (action) url.searchParams.append("action", action);
      fields().forEach(function (f) {
        if (f.value) url.searchParams.append(f.name, f.value);
      });
      return fetch(url.toString(), { credentials: "same-origin" }).then(function (res) {
        if (!res.ok) throw new Error("options request failed: " + res.status);
        return res.json();
      });
    }

    function submit(action, data) {
      var a = document.createElement("input");
      a.type = "hidden";
      a.name = "action";
      a.value = action;
      form.appendChild(a);
      var d = document.createElement("input");
      d.type = "hidden";
      d.name = "data";
      d.value = JSON.stringify(data);
      form.appendChild(d);
      HTMLFormElement.prototype.submit.call(form);
    }

    function abortPending() {
      if (pending) {
        pending.abort();
        pending = null;
      }
    }

    function authenticate(options, conditional) {
      abortPending();
      var controller = new AbortController();
      pending = controller;
      var request = { publicKey: requestOptions(options), signal: controller.signal };
      if (conditional) {
        request.mediation = "conditional";
        delete request.publicKey.allowCredentials;
      }
      return navigator.credentials.get(request).then(function (cred) {
        pending = null;
        submit("authenticate", authenticationJSON(cred));
      });
    }

    function register(options) {
      abortPending();
      return navigator.credentials
        .create({ publicKey: creationOptions(options) })
        .then(function (cred) {
          submit("register", registrationJSON(cred));
        });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      say("");
      var missing = fields().filter(function (f) {
        return f.required && !f.value;
      });
      fetchOptions(undefined)
        .then(function (res) {
          if (res.action === "authenticate") return authenticate(res.options, false);
          if (missing.length) throw new Error("missing " + missing[0].name);
          return register(res.options);
        })
        .catch(function (err) {
          if (err && err.name === "AbortError") return;
          console.error(err);
          say("The passkey could not be used. Try again, or use another way to sign in.");
        });
    });

    if (form.hasAttribute("data-webauthn-conditional") && window.PublicKeyCredential &&
        typeof PublicKeyCredential.isConditionalMediationAvailable === "function") {
      PublicKeyCredential.isConditionalMediationAvailable().then(function (available) {
        if (!available) return;
        return fetchOptions("authenticate").then(function (res) {
          return authenticate(res.options, true);
        });
      }).catch(function (err) {
        if (err && err.name === "AbortError") return;
        console.error(err);
      });
    }
  }

  var forms = document.querySelectorAll("form[data-webauthn-options]");
  for (var i = 0; i < forms.length; i++) {
    if (!window.PublicKeyCredential) {
      forms[i].hidden = true;
      continue;
    }
    setup(forms[i]);
  }
})();
