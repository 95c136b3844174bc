/// Non-triggering examples that several rules must each list: idioms every mode rule has to stay quiet on.
enum SharedExamples {
    /// The torchvision-tutorial loop: one model, `for phase in ["train", "val"]`, modes and grad mode chosen
    /// by the same predicate that guards the backward and the optimizer step.
    static let phaseLoop = RuleExample("""
        import torch
        import torch.nn as nn

        model = nn.Sequential(nn.Linear(4, 16), nn.BatchNorm1d(16), nn.Linear(16, 3))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
        criterion = nn.CrossEntropyLoss()

        for epoch in range(25):
            for phase in ["train", "val"]:
                if phase == "train":
                    model.train()
                else:
                    model.eval()
                for inputs, labels in loaders[phase]:
                    optimizer.zero_grad()
                    with torch.set_grad_enabled(phase == "train"):
                        outputs = model(inputs)
                        loss = criterion(outputs, labels)
                        if phase == "train":
                            loss.backward()
                            optimizer.step()
        """)
}
