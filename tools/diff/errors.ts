/** A failure of the diff tool itself (bad arguments, a missing revision): exit status 1 with this message. */
export class ToolError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ToolError";
    }
}
