fn main() -> std::process::ExitCode {
    gtx::run()
}
