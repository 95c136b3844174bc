import Testing
@testable import ModelintAnalysis
import ModelintSyntax

/// Whole training scripts in the shape of widely copied examples (pytorch/examples ImageNet, a Hugging Face
/// fine-tuning loop), checked value by value.
@Suite struct SemanticRealisticScriptTests {
    @Test func imagenetStyleScript() {
        let s = Snippet("""
        import torch
        import torch.nn as nn
        import torch.nn.parallel
        import torch.optim
        import torchvision.models as models

        def main_worker(gpu, args):
            if args.pretrained:
                model = models.__dict__[args.arch](pretrained=True)
            else:
                model = models.__dict__[args.arch]()
            if args.distributed:
                model = torch.nn.parallel.DistributedDataParallel(model, device_ids=[gpu])
            else:
                model = torch.nn.DataParallel(model).cuda()
            criterion = nn.CrossEntropyLoss().cuda(gpu)
            optimizer = torch.optim.SGD(model.parameters(), args.lr, momentum=args.momentum)
            scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=30, gamma=0.1)
            for epoch in range(args.start_epoch, args.epochs):
                train(train_loader, model, criterion, optimizer, epoch, args)
                acc1 = validate(val_loader, model, criterion, args)
                scheduler.step()
            torch.save({"state_dict": model.module.state_dict()}, "checkpoint.pth.tar")

        def train(train_loader, model, criterion, optimizer, epoch, args):
            model.train()
            for i, (images, target) in enumerate(train_loader):
                output = model(images)
                loss = criterion(output, target)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()

        def validate(val_loader, model, criterion, args):
            def run_validate(loader, base_progress=0):
                with torch.no_grad():
                    for i, (images, target) in enumerate(loader):
                        output = model(images)
                        loss = criterion(output, target)
            model.eval()
            run_validate(val_loader)
            return 0.0
        """)
        let worker = "main_worker"
        #expect(s.isModule("model", after: "SGD("))
        #expect(s.path("model", after: "SGD(") == "model")
        #expect(s.isModule("criterion", after: "criterion = "))
        #expect(!s.isModule("optimizer", after: "StepLR("))
        #expect(!s.isModule("scheduler", after: "scheduler.step"))
        #expect(s.path("model.module", after: worker) == "model")
        // train(): parameters switched and stepped.
        #expect(s.isModule("model", after: "model.train"))
        #expect(s.isModule("criterion", after: "loss = criterion"))
        #expect(!s.isModule("optimizer", after: "optimizer.zero_grad"))
        #expect(!s.isModule("output", after: "loss = criterion("))
        #expect(!s.isModule("loss", after: "loss.backward"))
        // validate(): the closure's `model` is validate's parameter.
        let closureModel = s.expr("model", after: "enumerate(loader):")
        #expect(s.model.isModule(closureModel))
        #expect(s.model.scope(of: .expr(closureModel)).name == "run_validate")
        #expect(s.model.resolveFunction(s.expr("run_validate", after: "model.eval()"))?.qualifiedName.description
            == "main.validate.run_validate")
        #expect(s.model.resolveFunction(s.expr("train", after: "for epoch"))?.qualifiedName.description == "main.train")
    }

    @Test func huggingFaceFineTuningLoop() {
        let s = Snippet("""
        import torch
        from torch.utils.data import DataLoader
        from transformers import AutoModelForSequenceClassification, AutoTokenizer, get_scheduler
        from accelerate import Accelerator

        accelerator = Accelerator()
        tokenizer = AutoTokenizer.from_pretrained("bert-base-cased")
        model = AutoModelForSequenceClassification.from_pretrained("bert-base-cased", num_labels=2)
        optimizer = torch.optim.AdamW(model.parameters(), lr=5e-5)
        train_dataloader = DataLoader(train_dataset, shuffle=True, batch_size=8)
        model, optimizer, train_dataloader = accelerator.prepare(model, optimizer, train_dataloader)
        lr_scheduler = get_scheduler("linear", optimizer=optimizer, num_warmup_steps=0, num_training_steps=100)
        for epoch in range(3):
            model.train()
            for batch in train_dataloader:
                outputs = model(**batch)
                accelerator.backward(outputs.loss)
                optimizer.step()
                lr_scheduler.step()
                optimizer.zero_grad()
            model.eval()
            for batch in eval_dataloader:
                with torch.no_grad():
                    outputs = model(**batch)
        unwrapped = accelerator.unwrap_model(model)
        unwrapped.save_pretrained("out")
        """)
        #expect(s.isModule("model", after: "for epoch"))
        #expect(s.path("model", after: "for epoch") == "model")
        #expect(s.model.moduleValue(s.expr("model", after: "for epoch"))?.startsInEvalMode == true)
        #expect(!s.isModule("tokenizer"))
        #expect(!s.isModule("train_dataloader", after: "for batch in "))
        #expect(!s.isModule("accelerator", after: "accelerator.backward"))
        #expect(!s.isModule("outputs", after: "accelerator.backward("))
        #expect(!s.isModule("lr_scheduler", after: "lr_scheduler.step"))
        #expect(s.qualified("AutoModelForSequenceClassification.from_pretrained")
            == "transformers.AutoModelForSequenceClassification.from_pretrained")
    }
}
