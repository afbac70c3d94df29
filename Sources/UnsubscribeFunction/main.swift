import Dashboard
import RuntimeShim

let help = FunctionHelp(
    "The emails' unsubscribe page behind a function URL: a GET shows a button, a POST (the button's, or a mail "
        + "client's one-click) unsubscribes the token's address.",
    events: [
        .init(
            "A function URL request for /?token=…, GET or POST.",
            example: "--event events/unsubscribe-url-post.json")
    ])

await Lambda.main(help: help) { try UnsubscribeHandler.start($0) }
